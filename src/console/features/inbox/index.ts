// The page is loaded lazily by the router (features/inbox/components/InboxPage).
export { InboxNavLink } from './components/InboxNavLink';
