//! The inputs of a run that talks to Agora (`probe`, `join`, `report`), resolved once against the
//! [`Env`]: the App ID, the App Certificate (one reader: [`crate::token::certificate`]), the token,
//! the channel and uid, and the target — Agora itself, or the simulated world (`--sim`).
//!
//! Under `--sim` there is one simulated project ([`SimWorld`]): its App ID, its certificate and its
//! channel, and it mints every token. The environment's `AGORA_APP_ID` and `AGORA_APP_CERTIFICATE`
//! (which the tool recommends exporting for real runs) are ignored, and the report says so; what the
//! command line names explicitly (`--app-id`, `--cert-file`, `--channel`) becomes the simulated
//! project's, so `probe --sim`, `join --sim`, `report --sim` and the browser flow judge the same
//! project the same way.

use std::path::Path;
use std::sync::Arc;

use agora_sim::edge::{Fault, SimError};
use agora_sim::native::RelayFault;
use agora_sim::world::{SimWorld, WorldConfig};
use agora_token_core::typed_uid_text;

use crate::env::{Env, APP_ID_ENV, CERT_ENV};
use crate::token::certificate::{self, CertSources, Certificate};
use crate::token::TokenError;

/// What the user asked for, as `probe` and `join` share it.
#[derive(Debug, Clone, Default)]
pub struct Asked<'a> {
    /// `--sim`.
    pub sim: bool,
    /// `--app-id` (or `AGORA_APP_ID`, see [`Env::came_from_env`]).
    pub app_id: Option<&'a str>,
    /// `--token`.
    pub token: Option<&'a str>,
    /// `--token-server`: the URL template of the user's token server, asked for the tokens.
    pub token_server: Option<&'a str>,
    /// `--channel`.
    pub channel: Option<&'a str>,
    /// `--uid`.
    pub uid: Option<&'a str>,
    /// `--cert-file`.
    pub cert_file: Option<&'a Path>,
    /// `--cert-file`'s first line, read once ([`Asked::read_cert_file`]) for both the redactor and
    /// the certificate's resolution; `None` for stdin (`-`, read by the resolution alone).
    pub cert_line: Option<Result<String, String>>,
    /// A fault the simulated edge injects (`--sim` only).
    pub edge_fault: Fault,
    /// A fault the simulated native relay injects (`--sim` only).
    pub relay_fault: RelayFault,
}

impl Asked<'_> {
    /// Read `--cert-file` (unless it is stdin): the one read of the file in a run.
    pub fn read_cert_file(mut self) -> Self {
        self.cert_line = self
            .cert_file
            .filter(|p| p.as_os_str() != "-")
            .map(certificate::file_first_line);
        self
    }
}

/// Where the run's requests go.
#[derive(Debug, Clone)]
pub enum Target {
    /// Agora's own service.
    Agora,
    /// The simulated world (a test double), shared by every check of the run.
    Simulated(Arc<SimWorld>),
}

/// A bad input that stops the run before anything is tried (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The certificate cannot be read or is not 32 hex digits.
    #[error(transparent)]
    Certificate(#[from] TokenError),
    /// The simulated world did not start.
    #[error("could not start the simulated edge: {0}; check that loopback (127.0.0.1) is usable")]
    Sim(#[from] SimError),
    /// `--token-server` gave no token (the message names the URL and the next step).
    #[error("{0}")]
    TokenServer(String),
}

/// The secrets a run was given, for the redactor: the token (as given and repaired, its body and
/// its signature) and every certificate it may have read (the environment's, `--cert-file`'s),
/// whether or not they turn out valid.
pub fn given_secrets(asked: &Asked<'_>, env: &Env) -> Vec<String> {
    let mut certificates: Vec<String> = env
        .certificate()
        .filter(|c| !c.trim().is_empty())
        .map(str::to_owned)
        .into_iter()
        .collect();
    if let Some(Ok(cert)) = &asked.cert_line {
        certificates.push(cert.clone());
    }
    let certificates: Vec<&str> = certificates.iter().map(String::as_str).collect();
    let diagnosis = asked.token.map(agora_token_core::diagnose);
    crate::redact::secrets_of(
        asked.token,
        diagnosis.as_ref().and_then(|d| d.token.as_ref()),
        diagnosis.as_ref().and_then(|d| d.repaired.as_deref()),
        &certificates,
    )
}

/// The resolved inputs.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The App ID (under `--sim`: the simulated project's).
    pub app_id: Option<String>,
    /// The App Certificate (under `--sim`: the simulated project's).
    pub certificate: Option<Certificate>,
    /// The token to join with: given, from the token server, or minted by the simulated project.
    pub token: Option<String>,
    /// The room's other participant's token (for uid 0) when the token server gave the tokens.
    pub speaker_token: Option<String>,
    /// True when [`Inputs::token`] was minted by the simulated project, not given.
    pub token_minted: bool,
    /// The channel (under `--sim`: the simulated project's unless given).
    pub channel: Option<String>,
    /// The uid or user account.
    pub uid: Option<String>,
    /// Agora or the simulated world.
    pub target: Target,
    /// What the resolution decided that the user should know (shown in every report of the run).
    pub notes: Vec<String>,
}

impl Inputs {
    /// Resolve the inputs once; under `--sim` this starts the simulated world.
    pub fn resolve(asked: &Asked<'_>, env: &Env) -> Result<Inputs, InputError> {
        if !asked.sim {
            let certificate = env.with_stdin(|stdin| {
                certificate::read(
                    CertSources {
                        file: asked.cert_file,
                        file_line: asked.cert_line.as_ref(),
                        env: env.certificate(),
                        ..CertSources::default()
                    },
                    stdin,
                )
            })?;
            let mut inputs = Inputs::asked(asked, asked.app_id, certificate, Vec::new());
            if let Some(template) = asked.token_server {
                // Without --channel there is nothing to ask for; the checks then say what is missing.
                if let Some(channel) = inputs.channel.clone() {
                    inputs.ask_token_server(template, &channel)?;
                }
            }
            return Ok(inputs);
        }
        let mut notes = Vec::new();
        let app_id_from_env = asked.app_id.is_some() && env.came_from_env("app_id");
        let ignored: Vec<&str> = [
            app_id_from_env.then_some(APP_ID_ENV),
            env.certificate()
                .filter(|c| !c.trim().is_empty())
                .map(|_| CERT_ENV),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !ignored.is_empty() {
            notes.push(format!(
                "--sim ignored {} from the environment: the simulated edge hosts its own project; pass --app-id or --cert-file to make yours the simulated project's, or drop --sim to test your project against Agora",
                ignored.join(" and ")
            ));
        }
        let explicit_app_id = asked.app_id.filter(|_| !app_id_from_env);
        // Only an explicit file names the simulated project's certificate; the variable is ignored.
        let certificate = match asked.cert_file {
            Some(_) => env.with_stdin(|stdin| {
                certificate::read(
                    CertSources {
                        file: asked.cert_file,
                        file_line: asked.cert_line.as_ref(),
                        ..CertSources::default()
                    },
                    stdin,
                )
            })?,
            None => None,
        };
        let world = SimWorld::start(WorldConfig {
            app_id: explicit_app_id.map(str::to_string),
            app_certificate: certificate.as_ref().map(|c| c.expose().to_string()),
            channel: asked.channel.map(str::to_string),
            edge_fault: asked.edge_fault,
            relay_fault: asked.relay_fault,
        })?;
        if let Some(app_id) = explicit_app_id {
            let signer = if certificate.is_some() {
                "the certificate from --cert-file"
            } else {
                "a certificate made for this run"
            };
            notes.push(format!(
                "the simulated project uses App ID {app_id} from --app-id, with {signer}"
            ));
        }
        if (asked.token.is_some() || asked.token_server.is_some()) && certificate.is_none() {
            let given = if asked.token.is_some() {
                "--token"
            } else {
                "the tokens from --token-server"
            };
            notes.push(format!(
                "under --sim the simulated project judges {given} with its own certificate, made for this run: a token your server signed cannot pass; pass --app-id and --cert-file with your project's App ID and the certificate that signed it, drop them to let the simulated project mint its own, or drop --sim to test against Agora"
            ));
        }
        let mut inputs = Inputs::asked(asked, None, certificate, notes);
        if let Some(template) = asked.token_server {
            let channel = asked.channel.unwrap_or(world.channel()).to_string();
            inputs.ask_token_server(template, &channel)?;
        }
        inputs.adopt_world(&world, env.now());
        inputs.target = Target::Simulated(Arc::new(world));
        Ok(inputs)
    }

    /// What the user gave, aimed at Agora until a simulated world is adopted.
    fn asked(
        asked: &Asked<'_>,
        app_id: Option<&str>,
        certificate: Option<Certificate>,
        notes: Vec<String>,
    ) -> Inputs {
        Inputs {
            app_id: app_id.map(str::to_string),
            certificate,
            token: asked.token.map(str::to_string),
            speaker_token: None,
            token_minted: false,
            channel: asked.channel.map(str::to_string),
            uid: asked.uid.map(str::to_string),
            target: Target::Agora,
            notes,
        }
    }

    /// Ask the user's token server for the run's tokens as their app does: a publisher token for
    /// the uid (or uid 0), and one for uid 0 for the room's other participant when the uid is not 0.
    fn ask_token_server(&mut self, template: &str, channel: &str) -> Result<(), InputError> {
        let asked_uid = typed_uid_text(self.uid.as_deref());
        let user = if asked_uid.is_empty() {
            "0"
        } else {
            asked_uid.as_str()
        };
        // uid 0 admits any uid, so one token serves both participants when B's uid is 0.
        let users: &[&str] = if user == "0" { &["0"] } else { &[user, "0"] };
        let tokens = crate::token_server::ask::publisher_tokens(template, channel, users)
            .map_err(InputError::TokenServer)?;
        self.token = tokens.first().cloned();
        self.speaker_token = tokens.last().cloned();
        let asked_for = if user == "0" {
            "uid 0, for both participants of the room".to_string()
        } else {
            format!("uid {user}, and uid 0 for the room's other participant")
        };
        self.notes.push(format!(
            "the tokens came from your token server ({template}), asked for channel {channel} as a publisher: {asked_for}"
        ));
        Ok(())
    }

    /// Fill what the user left open from the simulated world's project, and mint the token when
    /// none was given.
    pub fn adopt_world(&mut self, world: &SimWorld, now: u64) {
        let project = world.project();
        self.app_id = Some(project.app_id.clone());
        if self.certificate.is_none() {
            self.certificate = Some(Certificate::simulated(&project.app_certificate));
        }
        let channel = self
            .channel
            .get_or_insert_with(|| world.channel().to_string())
            .clone();
        if self.token.is_none() {
            self.token = Some(world.mint(&channel, &typed_uid_text(self.uid.as_deref()), now));
            self.token_minted = true;
        }
    }

    /// A publisher token for `channel` and `uid` (text; "" = any uid) minted from the App ID and
    /// certificate (the user's, or the simulated project's), valid
    /// [`agora_token_core::mint::MINTED_LIFETIME`]; `None` without both.
    pub fn mint(&self, channel: &str, uid: &str, now: u64) -> Option<String> {
        mint(
            self.app_id.as_deref()?,
            self.certificate.as_ref()?,
            channel,
            uid,
            now,
        )
    }

    /// The simulated world, under `--sim`.
    pub fn world(&self) -> Option<&Arc<SimWorld>> {
        match &self.target {
            Target::Simulated(world) => Some(world),
            Target::Agora => None,
        }
    }
}

/// [`Inputs::mint`] for a given App ID and certificate.
pub fn mint(
    app_id: &str,
    certificate: &Certificate,
    channel: &str,
    uid: &str,
    now: u64,
) -> Option<String> {
    agora_token_core::mint::publisher_token(app_id, certificate.expose(), channel, uid, now).ok()
}
