import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  NativeSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ESCALATION_AUDIENCES, WEEKDAYS, type EscalationAudience } from '../../../lib/api-types';
import { errorMessage, fieldError } from '../../../lib/error-message';
import { FormError } from '../../../lib/form-error';
import { useDeadlinePreview, useSaveTeam, useTeam } from '../api/admin';
import { draftOfForm, formOfTeam, newTeamForm, timezones, type TeamForm } from './team-form';

/** Fields whose API message appears next to the field (the rest in the form's alert). */
const SHOWN_FIELDS = [
  'name',
  'timezone',
  'businessHours',
  ...WEEKDAYS.flatMap((day) => [`businessHours.${day}.open`, `businessHours.${day}.close`]),
  'sameDayCutoff',
  'holidays',
  'policy.tiers.vip.firstResponseWithinMinutes',
  'policy.tiers.high_value.firstResponseWithinMinutes',
  'policy.warnBeforeMinutes',
  'policy.reescalateAfterMinutes',
  'policy.nextUpdateWithinMinutes',
  'policy.waitingReminderAfterMinutes',
  'policy.waitingResumeAfterMinutes',
  'policy.escalationLadder',
];

function formatIn(iso: string, timezone: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: timezone,
  }).format(new Date(iso));
}

/** Create or edit a team: calendar, policy, and the server's preview of the due time. */
export function TeamEditorPage() {
  const { teamId } = useParams();
  const team = useTeam(teamId);
  if (teamId && !team.data) {
    return team.isError ? <ErrorAlert error={team.error} /> : <Text>{'…'}</Text>;
  }
  return (
    <TeamEditor
      key={teamId ?? 'new'}
      teamId={teamId}
      initial={team.data ? formOfTeam(team.data) : newTeamForm()}
    />
  );
}

function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert">
      {errorMessage(error, t)}
    </Alert>
  );
}

function TeamEditor({ teamId, initial }: { teamId: string | undefined; initial: TeamForm }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveTeam(teamId);
  const [form, setForm] = useState<TeamForm>(initial);
  const [holiday, setHoliday] = useState('');
  const location = useLocation();
  const [saved, setSaved] = useState(
    Boolean((location.state as { created?: boolean } | null)?.created),
  );
  const set = <K extends keyof TeamForm>(key: K, value: TeamForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const draft = useMemo(() => draftOfForm(form), [form]);
  const [debounced] = useDebouncedValue(draft, 400);
  const previewDraft = useMemo(() => {
    return {
      timezone: debounced.timezone,
      businessHours: debounced.businessHours,
      holidays: debounced.holidays,
      sameDayCutoff: debounced.sameDayCutoff,
      policy: debounced.policy,
    };
  }, [debounced]);
  const preview = useDeadlinePreview(previewDraft);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft, {
      onSuccess: (team) => {
        setSaved(true);
        if (!teamId)
          void navigate(`/admin/teams/${team.id}`, { replace: true, state: { created: true } });
      },
    });
  };
  const err = (path: string) => fieldError(save.error, path);
  const zoneOptions = useMemo(() => timezones(), []);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Group justify="space-between">
          <Title order={1} size="h2">
            {teamId ? t('teams.editTitle', { name: initial.name }) : t('teams.createTitle')}
          </Title>
          <Button component={Link} to="/admin/teams" variant="subtle">
            {t('teams.backToTeams')}
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Stack gap="md">
            <Paper withBorder p="md" component="section" aria-labelledby="team-calendar">
              <Stack gap="sm">
                <Title order={2} size="h4" id="team-calendar">
                  {t('teams.calendar')}
                </Title>
                <TextInput
                  label={t('teams.name')}
                  required
                  value={form.name}
                  error={err('name')}
                  onChange={(e) => set('name', e.currentTarget.value)}
                />
                <Select
                  label={t('teams.timezone')}
                  searchable
                  data={zoneOptions}
                  value={form.timezone}
                  limit={50}
                  error={err('timezone')}
                  onChange={(value) => value && set('timezone', value)}
                  nothingFoundMessage={t('teams.noTimezone')}
                />
                <Stack gap={6} role="group" aria-label={t('teams.openingHours')}>
                  <Text size="sm" fw={500}>
                    {t('teams.openingHours')}
                  </Text>
                  {WEEKDAYS.map((day) => {
                    const hours = form.days[day];
                    const setDay = (change: Partial<typeof hours>) =>
                      set('days', { ...form.days, [day]: { ...hours, ...change } });
                    const dayName = t(`weekdays.${day}`);
                    return (
                      <Group key={day} gap="sm" align="flex-start" wrap="nowrap">
                        <Checkbox
                          w={150}
                          mt={8}
                          label={t('teams.openOn', { day: dayName })}
                          checked={hours.open}
                          onChange={(e) => setDay({ open: e.currentTarget.checked })}
                        />
                        <TextInput
                          type="time"
                          aria-label={t('teams.opens', { day: dayName })}
                          disabled={!hours.open}
                          value={hours.from}
                          error={err(`businessHours.${day}.open`)}
                          onChange={(e) => setDay({ from: e.currentTarget.value })}
                        />
                        <TextInput
                          type="time"
                          aria-label={t('teams.closes', { day: dayName })}
                          disabled={!hours.open}
                          value={hours.to}
                          error={err(`businessHours.${day}.close`)}
                          onChange={(e) => setDay({ to: e.currentTarget.value })}
                        />
                      </Group>
                    );
                  })}
                  {err('businessHours') && (
                    <Text c="red.8" size="sm">
                      {err('businessHours')}
                    </Text>
                  )}
                </Stack>
                <TextInput
                  type="time"
                  label={t('teams.cutoff')}
                  description={t('teams.cutoffHint')}
                  value={form.cutoff}
                  error={err('sameDayCutoff')}
                  onChange={(e) => set('cutoff', e.currentTarget.value)}
                />
                <Stack gap={6}>
                  <Group align="flex-end" gap="sm">
                    <TextInput
                      type="date"
                      label={t('teams.holiday')}
                      value={holiday}
                      error={err('holidays')}
                      onChange={(e) => setHoliday(e.currentTarget.value)}
                    />
                    <Button
                      variant="light"
                      disabled={!holiday}
                      onClick={() => {
                        if (holiday && !form.holidays.includes(holiday)) {
                          set('holidays', [...form.holidays, holiday].sort());
                        }
                        setHoliday('');
                      }}
                    >
                      {t('teams.addHoliday')}
                    </Button>
                  </Group>
                  {form.holidays.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('teams.noHolidays')}
                    </Text>
                  ) : (
                    <List size="sm" aria-label={t('teams.holidays')}>
                      {form.holidays.map((day) => (
                        <List.Item key={day}>
                          <Group gap={6}>
                            {day}
                            <ActionIcon
                              size="sm"
                              variant="subtle"
                              color="red"
                              aria-label={t('teams.removeHoliday', { day })}
                              onClick={() =>
                                set(
                                  'holidays',
                                  form.holidays.filter((d) => d !== day),
                                )
                              }
                            >
                              ×
                            </ActionIcon>
                          </Group>
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Stack>
              </Stack>
            </Paper>
          </Stack>
          <Stack gap="md">
            <Paper withBorder p="md" component="section" aria-labelledby="team-preview">
              <Stack gap="xs" aria-live="polite">
                <Title order={2} size="h4" id="team-preview">
                  {t('teams.preview')}
                </Title>
                {preview.isError ? (
                  <Alert color="yellow" variant="light">
                    {errorMessage(preview.error, t)}
                  </Alert>
                ) : !preview.data ? (
                  <Text size="sm" c="dimmed">
                    {t('app.loading')}
                  </Text>
                ) : (
                  preview.data.items.map((item) => (
                    <div key={item.tier}>
                      <Text size="sm" fw={500}>
                        {t('teams.previewLine', {
                          tier: t(`tier.${item.tier}`),
                          time: formatIn(item.dueAt, preview.data.timezone, i18n.language),
                        })}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {item.explanation}
                      </Text>
                    </div>
                  ))
                )}
              </Stack>
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="team-policy">
              <Stack gap="sm">
                <Title order={2} size="h4" id="team-policy">
                  {t('teams.policy')}
                </Title>
                <Text size="xs" c="dimmed">
                  {t('teams.businessMinutesHint')}
                </Text>
                <SimpleGrid cols={2}>
                  <NumberInput
                    label={t('teams.vipMinutes')}
                    min={1}
                    value={form.vipMinutes}
                    error={err('policy.tiers.vip.firstResponseWithinMinutes')}
                    onChange={(v) => set('vipMinutes', v)}
                  />
                  <NumberInput
                    label={t('teams.highValueMinutes')}
                    min={1}
                    value={form.highValueMinutes}
                    error={err('policy.tiers.high_value.firstResponseWithinMinutes')}
                    onChange={(v) => set('highValueMinutes', v)}
                  />
                  <NumberInput
                    label={t('teams.warnBefore')}
                    min={0}
                    value={form.warnBeforeMinutes}
                    error={err('policy.warnBeforeMinutes')}
                    onChange={(v) => set('warnBeforeMinutes', v)}
                  />
                  <NumberInput
                    label={t('teams.reescalateAfter')}
                    min={1}
                    value={form.reescalateAfterMinutes}
                    error={err('policy.reescalateAfterMinutes')}
                    onChange={(v) => set('reescalateAfterMinutes', v)}
                  />
                  <NumberInput
                    label={t('teams.nextUpdateWithin')}
                    min={1}
                    value={form.nextUpdateWithinMinutes}
                    error={err('policy.nextUpdateWithinMinutes')}
                    onChange={(v) => set('nextUpdateWithinMinutes', v)}
                  />
                  <NumberInput
                    label={t('teams.waitingReminder')}
                    min={1}
                    value={form.waitingReminderAfterMinutes}
                    error={err('policy.waitingReminderAfterMinutes')}
                    onChange={(v) => set('waitingReminderAfterMinutes', v)}
                  />
                  <NumberInput
                    label={t('teams.waitingResume')}
                    min={1}
                    value={form.waitingResumeAfterMinutes}
                    error={err('policy.waitingResumeAfterMinutes')}
                    onChange={(v) => set('waitingResumeAfterMinutes', v)}
                  />
                </SimpleGrid>
                <Switch
                  label={t('teams.autoHoldingUpdate')}
                  checked={form.autoHoldingUpdate}
                  onChange={(e) => set('autoHoldingUpdate', e.currentTarget.checked)}
                />
                <Stack gap={6} role="group" aria-label={t('teams.ladder')}>
                  <Text size="sm" fw={500}>
                    {t('teams.ladder')}
                  </Text>
                  {form.ladder.map((notify, index) => (
                    <Group key={index} gap="sm" align="flex-end">
                      <NativeSelect
                        label={t('teams.level', { level: index + 1 })}
                        value={notify}
                        onChange={(e) => {
                          const ladder = [...form.ladder];
                          ladder[index] = e.currentTarget.value as EscalationAudience;
                          set('ladder', ladder);
                        }}
                        data={ESCALATION_AUDIENCES.map((a) => ({
                          value: a,
                          label: t(`teams.audience.${a}`),
                        }))}
                      />
                      <Button
                        variant="subtle"
                        color="red"
                        disabled={form.ladder.length <= 1}
                        aria-label={t('teams.removeLevel', { level: index + 1 })}
                        onClick={() =>
                          set(
                            'ladder',
                            form.ladder.filter((_, i) => i !== index),
                          )
                        }
                      >
                        {t('teams.remove')}
                      </Button>
                    </Group>
                  ))}
                  <Group>
                    <Button
                      variant="light"
                      size="xs"
                      disabled={form.ladder.length >= 10}
                      onClick={() => set('ladder', [...form.ladder, 'admins'])}
                    >
                      {t('teams.addLevel')}
                    </Button>
                  </Group>
                  {err('policy.escalationLadder') && (
                    <Text c="red.8" size="sm">
                      {err('policy.escalationLadder')}
                    </Text>
                  )}
                </Stack>
              </Stack>
            </Paper>
          </Stack>
        </SimpleGrid>
        <FormError error={save.error} fields={SHOWN_FIELDS} />
        {saved && (
          <Alert color="green" role="status">
            {t('teams.saved')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {teamId ? t('teams.save') : t('teams.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
