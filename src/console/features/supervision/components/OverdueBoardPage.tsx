import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TierBadge } from '../../../lib/labels';
import { useLiveState } from '../../../lib/live-status';
import { useChosenTeam } from '../../../lib/team-choice';
import { formatDateTime, formatDuration } from '../../../lib/time';
import { useOverdueBoard, type BoardItem, type DueSoonItem } from '../api/supervision';
import { MessageOwnerDialog } from './MessageOwnerDialog';
import { PageHeader } from './PageHeader';
import { Pending } from './Pending';
import { ReassignDialog } from './ReassignDialog';

const MINUTE = 60_000;

/** The team's overdue tickets (most overdue first) and those inside the warn window, live. */
export function OverdueBoardPage() {
  const { t, i18n } = useTranslation();
  const chosen = useChosenTeam();
  const board = useOverdueBoard(chosen.teamId);
  const live = useLiveState();
  const [reassigning, setReassigning] = useState<BoardItem | null>(null);
  const [messaging, setMessaging] = useState<BoardRow | null>(null);

  return (
    <Stack gap="lg">
      <PageHeader title={t('board.title')} chosen={chosen}>
        <Badge color={live === 'live' ? 'green' : 'gray'} variant="dot" autoContrast>
          {live === 'live' ? t('queue.live') : t('queue.reconnecting')}
        </Badge>
      </PageHeader>
      {!board.data ? (
        <Pending error={board.error} label={t('board.loading')} />
      ) : (
        <>
          <Stack gap="xs" component="section" aria-labelledby="board-overdue">
            <Title order={2} size="h3" id="board-overdue">
              {t('board.overdue', { count: board.data.overdue.length })}
            </Title>
            {board.data.overdue.length === 0 ? (
              <Alert color="green" variant="light">
                {t('board.noneOverdue')}
              </Alert>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table aria-labelledby="board-overdue" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <TicketHeaders />
                      <Table.Th scope="col">{t('board.deadline')}</Table.Th>
                      <Table.Th scope="col">{t('board.overdueBy')}</Table.Th>
                      <Table.Th scope="col">{t('board.level')}</Table.Th>
                      <Table.Th scope="col">{t('board.holdingUpdates')}</Table.Th>
                      <Table.Th scope="col">{t('actions.title')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {board.data.overdue.map((item) => (
                      <Table.Tr key={item.ticketId}>
                        <TicketCells item={item} />
                        <Table.Td>
                          <Text size="sm">{t(`deadline.${item.deadline}`)}</Text>
                          <Text size="xs" c="dimmed">
                            {formatDateTime(item.dueAt, i18n.language)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c="red.9" fw={600}>
                            {formatDuration(item.minutesOverdue * MINUTE, t)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{item.escalationLevel}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">
                            {item.holdingUpdates.length === 0
                              ? t('board.noHoldingUpdate')
                              : t('board.holdingSent', {
                                  count: item.holdingUpdates.length,
                                  time: formatDateTime(
                                    item.holdingUpdates[item.holdingUpdates.length - 1]!.at,
                                    i18n.language,
                                  ),
                                })}
                          </Text>
                          {item.currentDueAt && item.escalationLevel > 0 && (
                            <Text size="xs" c="dimmed">
                              {t('board.promisedBy', {
                                time: formatDateTime(item.currentDueAt, i18n.language),
                              })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            <Button
                              size="xs"
                              variant="light"
                              aria-label={t('board.reassignRef', { ref: item.ref })}
                              onClick={() => setReassigning(item)}
                            >
                              {t('board.reassign')}
                            </Button>
                            <MessageOwnerButton item={item} onClick={setMessaging} />
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
          <Stack gap="xs" component="section" aria-labelledby="board-due-soon">
            <Title order={2} size="h3" id="board-due-soon">
              {t('board.dueSoon', { count: board.data.dueSoon.length })}
            </Title>
            {board.data.dueSoon.length === 0 ? (
              <Text c="dimmed">{t('board.noneDueSoon')}</Text>
            ) : (
              <Table aria-labelledby="board-due-soon">
                <Table.Thead>
                  <Table.Tr>
                    <TicketHeaders />
                    <Table.Th scope="col">{t('board.deadline')}</Table.Th>
                    <Table.Th scope="col">{t('board.dueIn')}</Table.Th>
                    <Table.Th scope="col">{t('actions.title')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {board.data.dueSoon.map((item) => (
                    <Table.Tr key={item.ticketId}>
                      <TicketCells item={item} />
                      <Table.Td>
                        <Text size="sm">{t(`deadline.${item.deadline}`)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDuration(item.minutesLeft * MINUTE, t)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <MessageOwnerButton item={item} onClick={setMessaging} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </>
      )}
      {chosen.teamId && (
        <ReassignDialog
          item={reassigning}
          teamId={chosen.teamId}
          onClose={() => setReassigning(null)}
        />
      )}
      <MessageOwnerDialog item={messaging} onClose={() => setMessaging(null)} />
    </Stack>
  );
}

type BoardRow = BoardItem | DueSoonItem;

/** The columns both tables start with: which ticket, whose concern, who owns it. */
function TicketHeaders() {
  const { t } = useTranslation();
  return (
    <>
      <Table.Th scope="col">{t('queue.columns.ref')}</Table.Th>
      <Table.Th scope="col">{t('queue.columns.subject')}</Table.Th>
      <Table.Th scope="col">{t('ticket.owner')}</Table.Th>
    </>
  );
}

function TicketCells({ item }: { item: BoardRow }) {
  return (
    <>
      <Table.Td>
        <Text ff="monospace" size="sm">
          {item.ref}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/tickets/${item.ticketId}`} size="sm">
          {item.subject}
        </Anchor>
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            {item.customer.name}
          </Text>
          {item.customer.tier !== 'standard' && <TierBadge tier={item.customer.tier} />}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{item.owner.name}</Text>
      </Table.Td>
    </>
  );
}

function MessageOwnerButton({
  item,
  onClick,
}: {
  item: BoardRow;
  onClick: (item: BoardRow) => void;
}) {
  const { t } = useTranslation();
  return (
    <Button
      size="xs"
      variant="default"
      aria-label={t('board.messageOwnerRef', { ref: item.ref })}
      onClick={() => onClick(item)}
    >
      {t('board.messageOwner')}
    </Button>
  );
}
