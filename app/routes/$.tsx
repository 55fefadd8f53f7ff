// Any URL no route matches: a Vietnamese 404 inside the normal layout.
import { notFound } from '#app/ui/http.server.ts'

export function loader() {
	notFound()
}

export default function NotFound() {
	return null
}
