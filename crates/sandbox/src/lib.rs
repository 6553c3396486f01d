//! The sandbox core bank (filled in by the sandbox work).
