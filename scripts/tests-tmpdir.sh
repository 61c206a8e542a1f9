#!/bin/sh
# Prints the folder where the tests write their temporary files (TMPDIR, pytest's tmp_path).
# A run builds, copies and compares sites: ~1.7 GB in many small files, created and deleted.
# In memory (/dev/shm, a tmpfs) when it has room for them: ext4's inode bookkeeping for them
# was a visible part of the run's CPU (two pairs of runs here: 327/351 s against 347/413 s).
# Elsewhere, and where /dev/shm is small (a container's 64 MB), the usual TMPDIR.
set -e
folder=/dev/shm/transfo-tests
wanted_kib=4194304  # 4 GiB: the run's files, with room to spare
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] \
        && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge "$wanted_kib" ] \
        && mkdir -p "$folder" 2>/dev/null && [ -w "$folder" ]; then
    echo "$folder"
else
    echo "${TMPDIR:-/tmp}"
fi
