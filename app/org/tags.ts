// Roster tags the product knows (DESIGN §4); units may use others, shown as typed.
export const TAGS = ['social-media', 'spokesperson', 'leader'] as const
