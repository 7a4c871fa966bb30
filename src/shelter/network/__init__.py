"""Networks of agents, informants and handlers: who connects to whom, through the records a caller may see."""
