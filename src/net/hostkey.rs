//! The host's SSH key: made on the first `ttx host` under the data folder (readable by its
//! owner only) and used again, so participants' clients see the same fingerprint each
//! session and can pin it.

use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

/// Where the host key lives in the data folder.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("host_ed25519_key")
}

/// The host key under `data_dir`, made (from `fill`'s 32 random bytes) when there is none.
/// A key that others may read is refused: it would let them pose as this host.
pub fn load_or_make(data_dir: &Path, fill: super::codes::Fill<'_>) -> Result<PrivateKey, String> {
    let p = path(data_dir);
    match std::fs::read_to_string(&p) {
        Ok(text) => {
            owner_only(&p)?;
            PrivateKey::from_openssh(text.as_bytes())
                .map_err(|e| format!("the host key {} cannot be read: {e}", p.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => make(&p, fill),
        Err(e) => Err(format!("cannot read the host key {}: {e}", p.display())),
    }
}

fn make(p: &Path, fill: super::codes::Fill<'_>) -> Result<PrivateKey, String> {
    let mut seed = [0u8; 32];
    fill(&mut seed);
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o
        .open(p)
        .map_err(|e| format!("cannot create the host key {}: {e}", p.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write the host key {}: {e}", p.display()))?;
    Ok(key)
}

#[cfg(unix)]
#[allow(clippy::verbose_bit_mask)] // The permission bits read better as a mask.
fn owner_only(p: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p)
        .map_err(|e| format!("cannot read the host key {}: {e}", p.display()))?
        .permissions()
        .mode();
    // No bit for the group or others.
    if mode & 0o077 == 0 {
        Ok(())
    } else {
        Err(format!(
            "the host key {} can be read by others (mode {:o}); make it private with `chmod 600`",
            p.display(),
            mode & 0o777
        ))
    }
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> Result<(), String> {
    Ok(())
}

/// The key's fingerprint as OpenSSH shows it (`SHA256:…`).
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_private_and_used_again() {
        let dir = std::env::temp_dir().join(format!("ttx-hostkey-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = load_or_make(&dir, &mut super::super::codes::os_fill).expect("made");
        let b = load_or_make(&dir, &mut |_: &mut [u8]| panic!("not made again")).expect("read");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert!(fingerprint(&a).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = path(&dir);
            let mode = std::fs::metadata(&p).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o600));
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            let e = load_or_make(&dir, &mut super::super::codes::os_fill).expect_err("refused");
            assert!(e.contains("chmod 600"), "{e}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
