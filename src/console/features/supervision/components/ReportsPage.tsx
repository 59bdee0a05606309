import '@mantine/charts/styles.css';
import { BarChart, CompositeChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useChosenTeam } from '../../../lib/team-choice';
import { csvUrl, useRootCauseReport, useSlaReport, type Period } from '../api/reports';
import { PageHeader } from './PageHeader';
import { Pending } from './Pending';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The last `days` days up to today, as the reports take them ("YYYY-MM-DD", both inclusive). */
const lastDays = (days: number): Period => ({
  from: isoDay(Date.now() - (days - 1) * DAY),
  to: isoDay(Date.now()),
});
const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

function ChartCard({
  title,
  csv,
  csvLabel,
  children,
}: {
  title: string;
  csv: string;
  csvLabel: string;
  children: ReactNode;
}) {
  const id = `chart-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        <Anchor href={csv} download size="sm" aria-label={csvLabel}>
          {csvLabel}
        </Anchor>
      </Group>
      {children}
    </Paper>
  );
}

/** SLA compliance over time, root causes as a Pareto, breaches per owner; each as CSV too. */
export function ReportsPage() {
  const { t } = useTranslation();
  const chosen = useChosenTeam();
  const [preset, setPreset] = useState('30');
  const [period, setPeriod] = useState<Period>(() => lastDays(30));
  const [bySilo, setBySilo] = useState<'silo' | 'category'>('silo');
  const sla = useSlaReport(chosen.teamId, period);
  const causes = useRootCauseReport(chosen.teamId, period);

  const compliance = useMemo(
    () =>
      (sla.data?.days ?? []).map((d) => ({
        day: d.day,
        [t('reports.firstResponse')]: percent(d.firstResponse.compliance),
        [t('reports.updates')]: percent(d.updates.compliance),
      })),
    [sla.data, t],
  );
  const pareto = useMemo(() => {
    const rows =
      bySilo === 'silo'
        ? (causes.data?.silos ?? []).map((s) => ({ ...s, label: t(`silo.${s.silo}`) }))
        : (causes.data?.causes ?? []).map((c) => ({
            ...c,
            label: `${t(`silo.${c.silo}`)}: ${c.category}`,
          }));
    return rows.map((r) => ({
      label: r.label,
      [t('reports.tickets')]: r.tickets,
      [t('reports.cumulative')]: percent(r.cumulativeShare),
    }));
  }, [causes.data, bySilo, t]);
  const perOwner = useMemo(
    () =>
      (sla.data?.owners ?? [])
        .filter((o) => o.breaches.total > 0)
        .sort((a, b) => b.breaches.total - a.breaches.total)
        .map((o) => ({
          owner: o.ownerName,
          [t('deadline.first_response')]: o.breaches.firstResponse,
          [t('deadline.next_update')]: o.breaches.nextUpdate,
        })),
    [sla.data, t],
  );

  const choosePreset = (value: string) => {
    setPreset(value);
    if (value !== 'custom') setPeriod(lastDays(Number(value)));
  };
  const setBound = (bound: 'from' | 'to', value: string) => {
    if (!value) return;
    setPreset('custom');
    setPeriod((p) => ({ ...p, [bound]: value }));
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('reports.title')} chosen={chosen} />
      <Group align="flex-end" gap="sm" role="group" aria-label={t('reports.period')}>
        <SegmentedControl
          aria-label={t('reports.presets')}
          value={preset}
          onChange={choosePreset}
          data={[
            { value: '7', label: t('reports.lastDays', { count: 7 }) },
            { value: '30', label: t('reports.lastDays', { count: 30 }) },
            { value: '90', label: t('reports.lastDays', { count: 90 }) },
            { value: 'custom', label: t('reports.custom') },
          ]}
        />
        <TextInput
          type="date"
          label={t('reports.from')}
          value={period.from}
          max={period.to}
          onChange={(e) => setBound('from', e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('reports.to')}
          value={period.to}
          min={period.from}
          onChange={(e) => setBound('to', e.currentTarget.value)}
        />
      </Group>
      {sla.data && (
        <Text size="sm" c="dimmed">
          {t('reports.summary', {
            due: sla.data.totals.firstResponse.due,
            met: sla.data.totals.firstResponse.met,
            missed: sla.data.totals.firstResponse.missed,
            breaches: sla.data.totals.breaches.total,
            timezone: sla.data.period.timezone,
          })}
        </Text>
      )}
      <ChartCard
        title={t('reports.slaTitle')}
        csv={csvUrl('/reports/sla', chosen.teamId, period)}
        csvLabel={t('reports.downloadCsv', { report: t('reports.slaTitle') })}
      >
        {!sla.data ? (
          <Pending error={sla.error} label={t('reports.loading')} />
        ) : (
          <LineChart
            h={260}
            data={compliance}
            dataKey="day"
            unit="%"
            yAxisProps={{ domain: [0, 100] }}
            connectNulls
            withLegend
            series={[
              { name: t('reports.firstResponse'), color: 'indigo.7' },
              { name: t('reports.updates'), color: 'teal.7' },
            ]}
            aria-label={t('reports.slaTitle')}
            role="img"
          />
        )}
      </ChartCard>
      <ChartCard
        title={t('reports.paretoTitle')}
        csv={csvUrl('/reports/root-causes', chosen.teamId, period)}
        csvLabel={t('reports.downloadCsv', { report: t('reports.paretoTitle') })}
      >
        <SegmentedControl
          mb="sm"
          size="xs"
          aria-label={t('reports.groupBy')}
          value={bySilo}
          onChange={(v) => setBySilo(v as 'silo' | 'category')}
          data={[
            { value: 'silo', label: t('reports.bySilo') },
            { value: 'category', label: t('reports.byCategory') },
          ]}
        />
        {!causes.data ? (
          <Pending error={causes.error} label={t('reports.loading')} />
        ) : pareto.length === 0 ? (
          <Text c="dimmed">{t('reports.noResolutions')}</Text>
        ) : (
          <CompositeChart
            h={280}
            data={pareto}
            dataKey="label"
            withLegend
            withRightYAxis
            rightYAxisProps={{ domain: [0, 100], unit: '%' }}
            series={[
              { name: t('reports.tickets'), color: 'indigo.7', type: 'bar' },
              {
                name: t('reports.cumulative'),
                color: 'orange.8',
                type: 'line',
                yAxisId: 'right',
              },
            ]}
            aria-label={t('reports.paretoTitle')}
            role="img"
          />
        )}
      </ChartCard>
      <SimpleGrid cols={{ base: 1 }}>
        <ChartCard
          title={t('reports.ownersTitle')}
          csv={csvUrl('/reports/sla', chosen.teamId, period)}
          csvLabel={t('reports.downloadCsv', { report: t('reports.ownersTitle') })}
        >
          {!sla.data ? (
            <Pending error={sla.error} label={t('reports.loading')} />
          ) : perOwner.length === 0 ? (
            <Text c="dimmed">{t('reports.noBreaches')}</Text>
          ) : (
            <BarChart
              h={Math.max(160, perOwner.length * 40)}
              data={perOwner}
              dataKey="owner"
              orientation="vertical"
              type="stacked"
              withLegend
              series={[
                { name: t('deadline.first_response'), color: 'red.8' },
                { name: t('deadline.next_update'), color: 'orange.7' },
              ]}
              aria-label={t('reports.ownersTitle')}
              role="img"
            />
          )}
        </ChartCard>
      </SimpleGrid>
    </Stack>
  );
}
