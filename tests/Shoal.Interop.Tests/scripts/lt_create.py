"""Make a torrent with libtorrent (python3-libtorrent) and print its info-hashes as JSON.

usage: lt_create.py CONTENT_PATH PIECE_SIZE v1|v2|hybrid OUT.torrent
"""
import json
import os
import sys

import libtorrent as lt


def sorted_files(root):
    """Files below root, sorted component by component on UTF-8 bytes."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            full = os.path.join(folder, name)
            found.append(os.path.relpath(full, root).split(os.sep))
    return sorted(found, key=lambda parts: [p.encode("utf-8") for p in parts])


def main():
    path, piece_size, mode, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    path = os.path.abspath(path)
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[mode]
    fs = lt.file_storage()
    if os.path.isdir(path) and mode == "v1":
        # libtorrent keeps v1 files in directory-listing order; add them sorted, as Shoal orders them.
        name = os.path.basename(path)
        for parts in sorted_files(path):
            full = os.path.join(path, *parts)
            file_flags = lt.file_storage.flag_executable if os.access(full, os.X_OK) else 0
            fs.add_file(os.path.join(name, *parts), os.path.getsize(full), file_flags)
    else:
        lt.add_files(fs, path)
    try:
        ct = lt.create_torrent(fs, piece_size, flags)
        lt.set_piece_hashes(ct, os.path.dirname(path))
        data = lt.bencode(ct.generate())
    except Exception as error:  # libtorrent refuses some content, e.g. zero bytes
        print(json.dumps({"error": str(error)}))
        return
    with open(out, "wb") as f:
        f.write(data)
    hashes = lt.torrent_info(out).info_hashes()
    print(json.dumps({
        "v1": str(hashes.v1) if hashes.has_v1() else None,
        "v2": str(hashes.v2) if hashes.has_v2() else None,
    }))


main()
