"""The audit workspace: records browser, record viewer, coverage report, exports, verify."""
