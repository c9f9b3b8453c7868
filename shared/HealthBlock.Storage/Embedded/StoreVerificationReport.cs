using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage.Embedded;

/// <summary>What <see cref="EmbeddedContentStore.VerifyAllAsync"/> found.</summary>
/// <param name="Store">The store that was checked (<see cref="IContentStore.Name"/>).</param>
/// <param name="BlocksChecked">How many blocks were read and re-hashed.</param>
/// <param name="Tampered">The blocks whose bytes no longer hash to their CID.</param>
/// <param name="UnrecognisedFiles">Files in the blocks folder that are not blocks (foreign names, wrong shard).</param>
public sealed record StoreVerificationReport(
    string Store,
    int BlocksChecked,
    IReadOnlyList<Cid> Tampered,
    IReadOnlyList<string> UnrecognisedFiles)
{
    /// <summary>True when every block verified and no foreign file was found.</summary>
    public bool IsIntact => Tampered.Count == 0 && UnrecognisedFiles.Count == 0;
}
