"""Documents in the window: preview, printing and saving of leaflets and records."""
