//! The voice for the elder setup's read-aloud: the operating system's speech service. On Linux
//! that is speech-dispatcher, reached through its own client `spd-say`; its espeak-ng module
//! has a Mandarin voice offline, and a better installed zh-CN voice is picked by the service,
//! not by us. Nothing leaves the machine. Core decides what is said and when
//! (`walletdesk_core::elder`); this only says it.
//!
//! Why not the `tts` crate (the issue's first suggestion): on Linux it links libspeechd
//! through bindings that `bindgen` generates at build time, which needs libclang and, in this
//! workspace, switched features of the shared proc-macro crates and rebuilt every crate
//! (measured: the whole workspace from proc-macro2 up). `spd-say` talks to the same service.
//! On Windows (SAPI) and macOS (AVSpeechSynthesizer) no voice is wired yet: `available` is
//! false and the customer's window says so; every step is still on screen.
//!
//! A command never waits for speech: each utterance is handed to `spd-say` and not waited
//! for (speech-dispatcher queues and cancels on its own).
//!
//! In training mode only, `WALLETDESK_SPEECH_LOG=<file>` replaces the voice with core's
//! `RecordingSpeaker`, which appends every utterance to that file as a JSON line: the
//! end-to-end suite's sink, proving each step was spoken without starting a speech server
//! on the test machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use walletdesk_core::credentials::TOKEN_ENV;
use walletdesk_core::elder::{RecordingSpeaker, Speaker};

/// The voice the console speaks with: the recording sink in training mode when the suite
/// asks for it, else the OS speech service (or none).
pub fn voice(training_mode: bool) -> Arc<dyn Speaker> {
    if let Some(path) = std::env::var_os("WALLETDESK_SPEECH_LOG") {
        if !training_mode {
            tracing::warn!("WALLETDESK_SPEECH_LOG is ignored outside training mode");
        } else {
            match RecordingSpeaker::logging_to(Path::new(&path)) {
                Ok(sink) => return Arc::new(sink),
                Err(err) => tracing::warn!(error = %err, "the speech log cannot be opened"),
            }
        }
    }
    OsVoice::start()
}

#[derive(Debug)]
pub struct OsVoice {
    /// The speech-dispatcher client, when there is one on this machine.
    client: Option<PathBuf>,
}

impl OsVoice {
    pub fn start() -> Arc<OsVoice> {
        let client = if cfg!(target_os = "linux") {
            ["/usr/bin/spd-say", "/usr/local/bin/spd-say"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        } else {
            None
        };
        if client.is_none() {
            tracing::info!("no speech service: read-aloud is off");
        }
        Arc::new(OsVoice { client })
    }

    /// `spd-say` with this app's client name. The core-bank token given at first start stays
    /// in this process's environment; the speech client (and the server it may start) must
    /// not inherit it.
    fn spd(client: &Path) -> Command {
        let mut command = Command::new(client);
        command
            .env_remove(TOKEN_ENV)
            .args(["-N", "walletdesk"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }
}

/// Percent of normal speed (50..=150) on speech-dispatcher's -100..=100 scale.
fn spd_rate(rate_percent: u32) -> i32 {
    let percent = i32::try_from(rate_percent.clamp(50, 150)).unwrap_or(100);
    (percent - 100) * 2
}

/// `zh-CN` → `zh`: speech-dispatcher takes the ISO language code.
fn spd_language(lang: &str) -> &str {
    lang.split('-').next().unwrap_or(lang)
}

/// The one `spd-say` call that says `text`; `wait` (tests) returns once it was spoken.
fn utterance(client: &Path, text: &str, lang: &str, rate_percent: u32, wait: bool) -> Command {
    let mut command = OsVoice::spd(client);
    command.args(["-C", "-l", spd_language(lang), "-r"]);
    command.arg(spd_rate(rate_percent).to_string());
    if wait {
        command.arg("-w");
    }
    command.arg("--").arg(text);
    command
}

impl Speaker for OsVoice {
    fn available(&self) -> bool {
        self.client.is_some()
    }

    fn speak(&self, text: &str, lang: &str, rate_percent: u32) -> Result<(), String> {
        let Some(client) = &self.client else {
            return Err("no voice on this computer".to_owned());
        };
        // Cancels what was being said (a new step, or "read it again", replaces it) and says
        // the new words. Reaped in the background so no zombie stays behind; speaking is not
        // waited for.
        let mut child = utterance(client, text, lang, rate_percent, false)
            .spawn()
            .map_err(|e| format!("spd-say: {e}"))?;
        std::thread::spawn(move || {
            let _ = child.wait();
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_speed_maps_onto_speech_dispatchers_scale() {
        assert_eq!(spd_rate(100), 0);
        assert_eq!(spd_rate(50), -100);
        assert_eq!(spd_rate(150), 100);
        assert_eq!(spd_rate(80), -40);
        assert_eq!(spd_rate(10), -100);
        assert_eq!(spd_language("zh-CN"), "zh");
    }

    /// The real path, not a mock: a private speech-dispatcher (its own socket, config and
    /// HOME, so no desktop's server is touched) whose ALSA output is a file. The words must
    /// come out as Mandarin audio samples from espeak-ng. Needs speech-dispatcher,
    /// speech-dispatcher-espeak-ng and espeak-ng (scripts/setup.sh installs them).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_os_voice_speaks_mandarin_through_speech_dispatcher() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let conf = root.join("conf");
        let home = root.join("home");
        std::fs::create_dir_all(&home).expect("home");
        copy_dir(Path::new("/etc/speech-dispatcher"), &conf);
        let speechd = conf.join("speechd.conf");
        let text = std::fs::read_to_string(&speechd).expect("speechd.conf");
        std::fs::write(&speechd, format!("{text}\nAudioOutputMethod \"alsa\"\n"))
            .expect("speechd.conf");
        let audio = root.join("out.raw");
        std::fs::write(
            home.join(".asoundrc"),
            format!(
                "pcm.!default {{ type file; slave.pcm \"null\"; file \"{}\"; format \"raw\" }}\n",
                audio.display()
            ),
        )
        .expect(".asoundrc");
        let socket = root.join("sock");
        let mut server = Command::new("/usr/bin/speech-dispatcher")
            .env("HOME", &home)
            .args(["-s", "-t", "20", "-c", "unix_socket", "-S"])
            .arg(&socket)
            .arg("-C")
            .arg(&conf)
            .arg("-L")
            .arg(root)
            .arg("-P")
            .arg(root.join("pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("speech-dispatcher is installed (scripts/setup.sh)");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !socket.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let voice = OsVoice::start();
        assert!(voice.available(), "spd-say is installed");
        let client = voice.client.clone().expect("spd-say");
        // The same command `speak` spawns, told where the private server is and to wait.
        let status = utterance(&client, "安全问题 第 1 题，共 4 题", "zh-CN", 80, true)
            .env(
                "SPEECHD_ADDRESS",
                format!("unix_socket:{}", socket.display()),
            )
            .status()
            .expect("spd-say ran");
        let _ = server.kill();
        let _ = server.wait();
        assert!(status.success(), "spd-say: {status}");
        let bytes = std::fs::read(&audio).map(|b| b.len()).unwrap_or(0);
        // 16-bit mono at 22 kHz: more than half a second of sound.
        assert!(bytes > 22_050, "only {bytes} bytes of audio came out");
    }

    #[cfg(target_os = "linux")]
    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("dir");
        for entry in std::fs::read_dir(from).expect("read dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
}
