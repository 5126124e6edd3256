// The after-sales domain: pure functions and plain data, no I/O. The service layer calls these.
export * from './after-sales.catalogues';
export * from './eligibility';
export * from './line-effects';
export * from './order-snapshot';
export * from './policy';
export * from './refund-amount';
export * from './ticket.commands';
export * from './ticket.decider';
export * from './ticket.events';
export * from './ticket.state';
export * from './ticket.transitions';
