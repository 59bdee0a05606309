import { createContext, useContext, type ReactNode } from 'react';
import type { Agent } from './api-types';

const CurrentAgentContext = createContext<Agent | null>(null);

/** The signed-in agent, for every screen behind the sign-in. */
export function CurrentAgentProvider({ agent, children }: { agent: Agent; children: ReactNode }) {
  return <CurrentAgentContext.Provider value={agent}>{children}</CurrentAgentContext.Provider>;
}

export function useCurrentAgent(): Agent {
  const agent = useContext(CurrentAgentContext);
  if (!agent) throw new Error('useCurrentAgent outside a signed-in screen');
  return agent;
}
