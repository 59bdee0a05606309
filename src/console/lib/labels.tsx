import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TicketStatus, Tier } from './api-types';

const TIER_COLOR: Record<Tier, string> = { standard: 'gray', high_value: 'teal', vip: 'grape' };
const STATUS_COLOR: Record<TicketStatus, string> = {
  open: 'blue',
  waiting_on_customer: 'yellow',
  resolved: 'green',
  closed: 'gray',
};

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return (
    <Badge color={TIER_COLOR[tier]} variant="light" autoContrast>
      {t(`tier.${tier}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" autoContrast>
      {t(`status.${status}`)}
    </Badge>
  );
}
