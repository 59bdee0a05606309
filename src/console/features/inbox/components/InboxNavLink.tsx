import { Badge, NavLink } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useInboxCount } from '../api/inbox';

/** "Inbox (3)" in the navigation: offers and consults waiting for me. */
export function InboxNavLink() {
  const { t } = useTranslation();
  const { count, more } = useInboxCount();
  const location = useLocation();
  const shown = more ? `${count}+` : String(count);
  return (
    <NavLink
      component={Link}
      to="/inbox"
      active={location.pathname.startsWith('/inbox')}
      label={t('nav.inbox')}
      aria-label={t('nav.inboxWithCount', { count: shown })}
      rightSection={
        count > 0 ? (
          <Badge size="sm" color="red" circle={count < 10} aria-hidden>
            {shown}
          </Badge>
        ) : null
      }
    />
  );
}
