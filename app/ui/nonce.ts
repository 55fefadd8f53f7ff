import { createContext, useContext } from 'react'

// Set on the server from the per-request CSP nonce. In the browser React hides the attribute, so it is empty there,
// which is fine: the scripts have run by then.
export const NonceContext = createContext<string | undefined>(undefined)
export const useNonce = () => useContext(NonceContext)

declare module '@remix-run/node' {
	interface AppLoadContext {
		cspNonce?: string
	}
}
