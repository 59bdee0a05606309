import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { isApiError } from '../lib/api-error';
import { queryKeys } from '../lib/query-keys';
import { router } from './router';

// Darker shades than Mantine's defaults: small text and links meet WCAG AA contrast (axe checks).
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  autoContrast: true,
  defaultRadius: 'sm',
});
const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    // Field errors: Mantine's red.6 has 3.3:1 on white; red.9 meets AA.
    '--mantine-color-error': t.colors.red[9]!,
    '--mantine-color-anchor': t.colors.indigo[8]!,
    '--mantine-color-indigo-light-color': t.colors.indigo[9]!,
    '--mantine-color-indigo-light': t.colors.indigo[0]!,
    '--mantine-color-indigo-light-hover': t.colors.indigo[1]!,
    '--mantine-color-green-light-color': t.colors.green[9]!,
    '--mantine-color-red-light-color': t.colors.red[9]!,
    '--mantine-color-blue-light-color': t.colors.blue[9]!,
    '--mantine-color-yellow-light-color': t.colors.yellow[9]!,
    '--mantine-color-teal-light-color': t.colors.teal[9]!,
    '--mantine-color-grape-light-color': t.colors.grape[9]!,
    '--mantine-color-gray-light-color': t.colors.gray[8]!,
  },
  dark: {},
});

/** An expired or revoked session anywhere sends the rep back to the sign-in page. */
function onError(error: unknown, client: () => QueryClient) {
  if (isApiError(error) && error.status === 401) client().setQueryData(queryKeys.session, null);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => query.queryKey[0] !== 'session' && onError(error, () => queryClient),
  }),
  mutationCache: new MutationCache({ onError: (error) => onError(error, () => queryClient) }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, error) =>
        !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
