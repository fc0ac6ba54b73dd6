"""Deployment files in deploy/: systemd units and the nginx site, checked and run."""
