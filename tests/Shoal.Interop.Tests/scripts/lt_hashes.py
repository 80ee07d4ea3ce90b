"""Print the info-hashes libtorrent reads from a .torrent file as JSON. usage: lt_hashes.py FILE.torrent"""
import json
import sys

import libtorrent as lt

info = lt.torrent_info(sys.argv[1])
hashes = info.info_hashes()
print(json.dumps({
    "v1": str(hashes.v1) if hashes.has_v1() else None,
    "v2": str(hashes.v2) if hashes.has_v2() else None,
    "name": info.name(),
    "totalSize": info.total_size(),
    "pieceCount": info.num_pieces(),
    "pieceLength": info.piece_length(),
}))
