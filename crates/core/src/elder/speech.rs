//! Read-aloud. Core decides what is said and when (every step, every repeat); the shell
//! provides the voice (`src-tauri/src/speech.rs`: the OS speech service through the `tts`
//! crate). Where no voice exists the screen says so and nothing else changes.

use std::sync::Mutex;

/// A voice. `speak` queues the words and returns at once; it never blocks a command.
pub trait Speaker: Send + Sync + std::fmt::Debug {
    /// Whether a voice is there to speak at all (the screen says so when not).
    fn available(&self) -> bool;
    /// Speaks `text` in `lang` (BCP 47, "zh-CN" first) at `rate_percent` of normal speed,
    /// interrupting what it was saying. An error is logged by the caller, never shown as a
    /// failure of the step: the words stay on screen.
    fn speak(&self, text: &str, lang: &str, rate_percent: u32) -> Result<(), String>;
}

/// No voice on this computer (and the default for consoles that set none).
#[derive(Debug, Default)]
pub struct NoVoice;

impl Speaker for NoVoice {
    fn available(&self) -> bool {
        false
    }
    fn speak(&self, _text: &str, _lang: &str, _rate_percent: u32) -> Result<(), String> {
        Err("no voice on this computer".to_owned())
    }
}

/// One thing said, as the test sink records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    pub text: String,
    pub lang: String,
    pub rate_percent: u32,
}

/// The test sink: a voice that records what it was asked to say, so tests can check that
/// every step was spoken. The shell writes the same records to a file for the end-to-end
/// suite (`WALLETDESK_SPEECH_LOG`).
#[derive(Debug, Default)]
pub struct RecordingSpeaker {
    said: Mutex<Vec<Utterance>>,
}

impl RecordingSpeaker {
    pub fn utterances(&self) -> Vec<Utterance> {
        self.said.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Speaker for RecordingSpeaker {
    fn available(&self) -> bool {
        true
    }
    fn speak(&self, text: &str, lang: &str, rate_percent: u32) -> Result<(), String> {
        self.said
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Utterance {
                text: text.to_owned(),
                lang: lang.to_owned(),
                rate_percent,
            });
        Ok(())
    }
}
