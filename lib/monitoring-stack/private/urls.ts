/**
 * An https URL without query or fragment, e.g. a runbook base URL: both halves of the
 * monitoring (alert annotations and alarm descriptions) link runbooks from the same base.
 */
export const RUNBOOK_BASE_URL = /^https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[A-Za-z0-9\-._~/%]*)?$/;
