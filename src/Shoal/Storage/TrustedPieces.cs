using Shoal.Primitives;

namespace Shoal.Storage;

/// <summary>What resume data vouches for at start.</summary>
/// <param name="Pieces">Pieces on disk and verified, to be taken without hashing.</param>
/// <param name="OthersMayBeOnDisk">
/// The record was written during a run that then crashed: pieces written after it are on disk but not in
/// <paramref name="Pieces"/>, so the others must be looked for. False when the others are known to be missing.
/// </param>
public sealed record TrustedPieces(PieceSet Pieces, bool OthersMayBeOnDisk);
