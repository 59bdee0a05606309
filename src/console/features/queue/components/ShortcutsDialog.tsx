import { Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ShortcutsDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    ['j', t('shortcuts.next')],
    ['k', t('shortcuts.previous')],
    ['Enter', t('shortcuts.open')],
    ['?', t('shortcuts.help')],
  ];
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('shortcuts.title')}
      closeButtonProps={{ 'aria-label': t('shortcuts.close') }}
    >
      <Stack gap="xs">
        {rows.map(([key, what]) => (
          <Group key={key} justify="space-between">
            <Text>{what}</Text>
            <Kbd>{key}</Kbd>
          </Group>
        ))}
      </Stack>
    </Modal>
  );
}
