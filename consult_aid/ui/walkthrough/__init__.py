"""The consultation walkthrough: navigator, topic, state buttons, notes and side panels."""
