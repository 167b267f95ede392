"""Disclosure to a recipient: consent per recipient on sources and evidence items, and the
package a court or a mechanism receives (``sijill export disclosure``)."""
