#!/bin/bash
# Post-install of the PulseWatch .deb (electron-builder `deb.afterInstall`; it fills in
# ${executable} and ${sanitizedProductName}). The first part is electron-builder's own
# after-install template (templates/linux/after-install.tpl, MIT), kept verbatim because a custom
# script replaces it; test/unit/tooling/electron-packaging.test.ts checks it still matches.
# The PulseWatch part follows it.


if type update-alternatives >/dev/null 2>&1; then
    # Remove previous link if it doesn't use update-alternatives
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# Check if user namespaces are supported by the kernel and working with a quick test:
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    # Use SUID chrome-sandbox only on systems without user namespaces:
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Install apparmor profile. (Ubuntu 24+)
# First check if the version of AppArmor running on the device supports our profile.
# This is in order to keep backwards compatibility with Ubuntu 22.04 which does not support abi/4.0.
# In that case, we just skip installing the profile since the app runs fine without it on 22.04.
#
# Those apparmor_parser flags are akin to performing a dry run of loading a profile.
# https://wiki.debian.org/AppArmor/HowToUse#Dumping_profiles
#
# Unfortunately, at the moment AppArmor doesn't have a good story for backwards compatibility.
# https://askubuntu.com/questions/1517272/writing-a-backwards-compatible-apparmor-profile
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"

    # Updating the current AppArmor profile is not possible and probably not meaningful in a chroot'ed environment.
    # Use cases are for example environments where images for clients are maintained.
    # There, AppArmor might correctly be installed, but live updating makes no sense.
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      # Extra flags taken from dh_apparmor:
      # > By using '-W -T' we ensure that any abstraction updates are also pulled in.
      # https://wiki.debian.org/AppArmor/Contribute/FirstTimeProfileImport
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi

# ---- PulseWatch: serial access to the ECG-12 unit ----------------------------------------------
# The unit enumerates as USB 1209:ec12 (specs/ecg12-serial-protocol.md). Its port goes to group
# dialout, and to whoever sits at the desk (uaccess), so staff need no group change or re-login.
cat > /etc/udev/rules.d/60-pulsewatch-ecg12.rules <<'RULES'
# PulseWatch ECG-12 unit (USB 1209:ec12): the seated user and group dialout may open it.
SUBSYSTEM=="tty", ATTRS{idVendor}=="1209", ATTRS{idProduct}=="ec12", GROUP="dialout", MODE="0660", TAG+="uaccess", SYMLINK+="pulsewatch-ecg12"
RULES
if hash udevadm 2>/dev/null; then
    udevadm control --reload-rules || true
    udevadm trigger --subsystem-match=tty --action=add || true
fi

# ---- PulseWatch: Bluetooth LE for the watch ---------------------------------------------------
# noble talks to the adapter over a raw HCI socket, which needs CAP_NET_RAW and CAP_NET_ADMIN.
# A binary with file capabilities runs in secure-execution mode, where the loader ignores the
# $ORIGIN run path that finds libffmpeg.so beside the executable: list the app folder with the
# loader instead, so the app still starts.
APP_DIR='/opt/${sanitizedProductName}'
echo "$APP_DIR" > /etc/ld.so.conf.d/pulsewatch.conf
if hash ldconfig 2>/dev/null; then
    ldconfig || true
fi
if hash setcap 2>/dev/null; then
    setcap 'cap_net_raw,cap_net_admin+eip' "$APP_DIR/${executable}" \
        || echo "PulseWatch: could not give the app its Bluetooth capabilities; the watch will not connect (see docs/gateway/packaging.md)"
else
    echo "PulseWatch: setcap is missing (apt-get install libcap2-bin); the watch will not connect until it is run"
fi
