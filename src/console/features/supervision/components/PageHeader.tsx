import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { TeamPicker, type useChosenTeam } from '../../../lib/team-choice';

/** A supervisor page's title, the admin's team picker and whatever else the page puts there. */
export function PageHeader({
  title,
  chosen,
  children,
}: {
  title: string;
  chosen: ReturnType<typeof useChosenTeam>;
  children?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-end">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Group align="flex-end" gap="sm">
        {children}
        <TeamPicker teamId={chosen.teamId} teams={chosen.teams} onChange={chosen.setTeamId} />
      </Group>
    </Group>
  );
}
