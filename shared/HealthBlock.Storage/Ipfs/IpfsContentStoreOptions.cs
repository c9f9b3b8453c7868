namespace HealthBlock.Storage.Ipfs;

/// <summary>Settings of an <see cref="IpfsContentStore"/>. Each setter validates its value.</summary>
public sealed class IpfsContentStoreOptions
{
    private readonly Uri _apiUri = new("http://127.0.0.1:5001/");
    private readonly TimeSpan _requestTimeout = TimeSpan.FromSeconds(30);
    private readonly TimeSpan _lookupTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The base URL of the node's RPC API, e.g. <c>http://127.0.0.1:5001</c> (Kubo's default); requests go to
    /// <c>{ApiUri}/api/v0/…</c>. Must be an absolute http or https URL.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) URL.</exception>
    public Uri ApiUri
    {
        get => _apiUri;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"The IPFS API URL must be an absolute http or https URL, not '{value}'.", nameof(value));
            }

            _apiUri = value.AbsoluteUri.EndsWith('/') ? value : new Uri(value.AbsoluteUri + "/");
        }
    }

    /// <summary>
    /// The longest one request may take, connecting and reading the answer included (default 30 s). A node
    /// that does not answer in time is reported with <see cref="StoreUnavailableException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _requestTimeout = value;
        }
    }

    /// <summary>
    /// How long the node itself may look for a block it does not hold before answering "not found" (its
    /// <c>timeout</c> option, default 2 s) on get, has and pin. Kubo answers at once with
    /// <see cref="LocalOnly"/>; js-ipfs waits for this timeout. Keep it below <see cref="RequestTimeout"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan LookupTimeout
    {
        get => _lookupTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _lookupTimeout = value;
        }
    }

    /// <summary>
    /// Look only in the node's own blockstore (<c>offline=true</c>) for get, has and pin (default true), so a
    /// missing block is reported instead of searched for on the IPFS network. Replication between HealthBlock
    /// storage nodes is done by <c>ReplicatedContentStore</c>, not by the nodes.
    /// </summary>
    public bool LocalOnly { get; init; } = true;

    /// <summary>
    /// Pin each block as it is put (<c>block/put?pin=true</c>, default true), so the node's garbage collector
    /// never drops a block that was acknowledged as stored.
    /// </summary>
    public bool PinOnPut { get; init; } = true;
}
