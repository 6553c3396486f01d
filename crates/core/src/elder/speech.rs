//! Read-aloud. Core decides what is said and when (every step, every repeat); the shell
//! provides the voice (`src-tauri/src/speech.rs`: the OS speech service, speech-dispatcher's
//! `spd-say` on Linux). Where no voice exists the screen says so and nothing else changes.

use std::io::Write as _;
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
/// every step was spoken. The app uses it in training mode when `WALLETDESK_SPEECH_LOG` names
/// a file ([`RecordingSpeaker::logging_to`]): the end-to-end suite reads that file, one JSON
/// line per utterance, because it cannot reach the app's memory.
#[derive(Debug, Default)]
pub struct RecordingSpeaker {
    said: Mutex<Vec<Utterance>>,
    log: Option<Mutex<std::fs::File>>,
}

impl RecordingSpeaker {
    /// Records in memory and appends each utterance to `path` as a JSON line
    /// (`{"text", "lang", "ratePercent"}`).
    pub fn logging_to(path: &std::path::Path) -> std::io::Result<RecordingSpeaker> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(RecordingSpeaker {
            said: Mutex::default(),
            log: Some(Mutex::new(file)),
        })
    }

    pub fn utterances(&self) -> Vec<Utterance> {
        self.said.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Speaker for RecordingSpeaker {
    fn available(&self) -> bool {
        true
    }
    fn speak(&self, text: &str, lang: &str, rate_percent: u32) -> Result<(), String> {
        if let Some(log) = &self.log {
            let line =
                serde_json::json!({ "text": text, "lang": lang, "ratePercent": rate_percent });
            let mut file = log.lock().unwrap_or_else(|p| p.into_inner());
            writeln!(file, "{line}").map_err(|e| format!("speech log: {e}"))?;
        }
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
