//! The core-bank contract and client.
