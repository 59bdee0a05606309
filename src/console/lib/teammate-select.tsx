import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Teammate {
  id: string;
  name: string;
  away: boolean;
}

/** Picks the teammate a ticket goes to (handoff, reassignment); away teammates say so. */
export function TeammateSelect({
  label,
  value,
  onChange,
  error,
  candidates,
}: {
  label: string;
  value: string;
  onChange: (agentId: string) => void;
  error: string | undefined;
  candidates: Teammate[];
}) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data={[
        { value: '', label: t('actions.chooseTeammate') },
        ...candidates.map((a) => ({
          value: a.id,
          label: a.away ? t('actions.away', { name: a.name }) : a.name,
        })),
      ]}
    />
  );
}
