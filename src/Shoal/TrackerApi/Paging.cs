namespace Shoal.TrackerApi;

/// <summary>
/// How a Shoal tracker's listings page (docs/tracker-api.md): <c>?page=N&amp;perPage=M</c>, N from 1 and M from 1
/// to <see cref="MaxPerPage"/>. A listing answered as a JSON array (the group listings) keeps that array as its
/// body and says the count of all its items in <see cref="TotalCountHeader"/>, with a <c>Link</c> header
/// (RFC 8288) to the next page while there is one.
/// </summary>
public static class Paging
{
    public const int DefaultPerPage = 50;
    public const int MaxPerPage = 500;
    public const string TotalCountHeader = "X-Total-Count";
}
