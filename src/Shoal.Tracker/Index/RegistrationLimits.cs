using System.Net;
using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Api;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Limits;

namespace Shoal.Tracker.Index;

/// <summary>
/// Registrations per user and per address (an IPv6 /64) in an hour, and torrents per user: what keeps
/// anyone from filling the file index. Every attempt counts, a repeated or refused one too.
/// </summary>
internal sealed class RegistrationLimits(TrackerOptions options, IFileIndexStore store, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly WindowCounts<long> _users = new(Window);
    private readonly WindowCounts<IPAddress> _addresses = new(Window);

    /// <summary>Counts the attempt; a 429 when the user or the address registered too often lately, a 403 when the user has the most torrents allowed.</summary>
    public async Task AdmitAsync(Registrant registrant, CancellationToken cancellationToken)
    {
        IPAddress block = AddressBlock.Of(registrant.Address);
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_addresses.CountOf(block, now) >= options.RegistrationsPerHourPerAddress
                || (registrant.UserId is { } user && _users.CountOf(user, now) >= options.RegistrationsPerHourPerUser))
            {
                throw new ApiException(
                    StatusCodes.Status429TooManyRequests,
                    $"too many registrations: at most {options.RegistrationsPerHourPerUser} an hour per user and {options.RegistrationsPerHourPerAddress} per address; try again later");
            }

            _addresses.Add(block, 1, now);
            if (registrant.UserId is { } counted)
            {
                _users.Add(counted, 1, now);
            }
        }

        if (registrant.UserId is { } owner && await store.CountRegisteredByAsync(owner, cancellationToken).ConfigureAwait(false) >= options.MaxTorrentsPerUser)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, $"a user may register at most {options.MaxTorrentsPerUser} torrents on this tracker");
        }
    }
}
