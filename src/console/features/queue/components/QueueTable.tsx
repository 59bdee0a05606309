import type { TFunction } from 'i18next';
import { memo, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { QueueItem } from '../../../lib/api-types';
import { countdown, formatDateTime, useNow } from '../../../lib/time';
import { deadlineOf } from '../deadline-of';
import classes from './QueueTable.module.css';

interface Props {
  items: QueueItem[];
  selected: number;
  onSelect(index: number): void;
  ref?: Ref<HTMLTableElement>;
}

export function QueueTable({ items, selected, onSelect, ref }: Props) {
  const { t, i18n } = useTranslation();
  const now = useNow(30_000);
  return (
    <div className={classes.wrap}>
      <table ref={ref} className={classes.table} aria-label={t('queue.tableLabel')}>
        <thead>
          <tr>
            <th scope="col">{t('queue.columns.deadline')}</th>
            <th scope="col">{t('queue.columns.ref')}</th>
            <th scope="col">{t('queue.columns.subject')}</th>
            <th scope="col">{t('queue.columns.customer')}</th>
            <th scope="col">{t('queue.columns.tier')}</th>
            <th scope="col">{t('queue.columns.status')}</th>
            <th scope="col">{t('queue.columns.breaches')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            <QueueRow
              key={item.id}
              item={item}
              index={index}
              now={now}
              selected={index === selected}
              onSelect={onSelect}
              t={t}
              language={i18n.language}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  item: QueueItem;
  index: number;
  now: number;
  selected: boolean;
  onSelect(index: number): void;
  t: TFunction;
  language: string;
}

const QueueRow = memo(function QueueRow({
  item,
  index,
  now,
  selected,
  onSelect,
  t,
  language,
}: RowProps) {
  const deadline = deadlineOf(item);
  const due = deadline ? countdown(deadline.dueAt, now, t) : null;
  return (
    <tr
      className={selected ? classes.selected : undefined}
      data-selected={selected || undefined}
      onClick={() => onSelect(index)}
    >
      <td>
        {due && deadline ? (
          <span
            className={due.overdue ? classes.overdue : classes.due}
            title={`${t(`deadline.${deadline.kind}`)}: ${formatDateTime(deadline.dueAt, language)}`}
          >
            {due.label}
          </span>
        ) : (
          <span className={classes.dimmed}>
            {item.status === 'waiting_on_customer' ? t('deadline.paused') : t('deadline.none')}
          </span>
        )}
      </td>
      <td className={classes.ref}>{item.ref}</td>
      <td>
        <Link
          to={`/tickets/${item.id}`}
          className={classes.subject}
          data-ticket-link
          onFocus={() => onSelect(index)}
        >
          {item.subject}
        </Link>
      </td>
      <td>{item.customer ? item.customer.name : <span className={classes.dimmed}>—</span>}</td>
      <td>
        {item.customer && (
          <span className={`${classes.pill} ${classes[`tier-${item.customer.tier}`]}`}>
            {t(`tier.${item.customer.tier}`)}
          </span>
        )}
      </td>
      <td>
        <span className={`${classes.pill} ${classes[`status-${item.status}`]}`}>
          {t(`status.${item.status}`)}
        </span>
      </td>
      <td className={item.breachCount > 0 ? classes.overdue : undefined}>{item.breachCount}</td>
    </tr>
  );
});
