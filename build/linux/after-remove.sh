#!/bin/bash
# Post-remove of the PulseWatch .deb (electron-builder `deb.afterRemove`): electron-builder's own
# after-remove template (templates/linux/after-remove.tpl, MIT), verbatim, then what the
# PulseWatch after-install added.


# Delete the link to the binary
# update-alternatives --remove <name> <path>: 'path' must be the registered alternative binary,
# not the generic symlink — see https://man7.org/linux/man-pages/man1/update-alternatives.1.html
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi
# ---- PulseWatch: the udev rule and the loader path of after-install.sh ------------------------
rm -f /etc/udev/rules.d/60-pulsewatch-ecg12.rules /etc/ld.so.conf.d/pulsewatch.conf
if hash udevadm 2>/dev/null; then
    udevadm control --reload-rules || true
fi
if hash ldconfig 2>/dev/null; then
    ldconfig || true
fi
