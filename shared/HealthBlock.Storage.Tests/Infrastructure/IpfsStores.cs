using HealthBlock.Storage.Ipfs;

namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>IPFS stores on the test daemon.</summary>
public static class IpfsStores
{
    /// <summary>
    /// A store on the daemon of <see cref="IpfsTestEnvironment"/>. The short lookup timeout keeps the
    /// missing-block tests quick: js-ipfs, unlike Kubo, waits for its timeout before saying "not found".
    /// </summary>
    public static IpfsContentStore Create(bool pinOnPut = true) => new(new IpfsContentStoreOptions
    {
        ApiUri = IpfsTestEnvironment.ApiUri,
        RequestTimeout = TimeSpan.FromSeconds(30),
        LookupTimeout = TimeSpan.FromMilliseconds(500),
        PinOnPut = pinOnPut,
    });
}
