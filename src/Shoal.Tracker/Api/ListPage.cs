namespace Shoal.Tracker.Api;

/// <summary>One page of a listing, and how many items the whole listing holds.</summary>
public sealed record ListPage<T>(long Total, IReadOnlyList<T> Items);
