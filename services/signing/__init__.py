"""Signing by officials: the ``sign`` step of a workflow, the official's signing queue, signing
(one or a batch) through the remote signing service, and sending a draft back to the clerk."""
