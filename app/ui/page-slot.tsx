// Where a personal page's own content goes when its shell is rendered (app/learning/page-shell.server.ts, decision 027).
export function PageSlot() {
	return <template id="vms-page-slot" />
}
