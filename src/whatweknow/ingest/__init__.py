"""Reading inputs, language identification and de-duplication."""
