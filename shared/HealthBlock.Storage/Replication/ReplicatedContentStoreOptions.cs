namespace HealthBlock.Storage.Replication;

/// <summary>Settings of a <see cref="ReplicatedContentStore"/>. Each setter validates its value.</summary>
public sealed class ReplicatedContentStoreOptions
{
    private readonly int _writeQuorum = 2;
    private readonly string _name = "replicated store";

    /// <summary>
    /// k: on how many nodes each block is stored before a put returns (default 2). Must be at least 1 and at
    /// most the number of nodes. With k nodes holding each block, reads survive k − 1 lost or tampered copies.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int WriteQuorum
    {
        get => _writeQuorum;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _writeQuorum = value;
        }
    }

    /// <summary>The store's name in messages and reports (default "replicated store").</summary>
    /// <exception cref="ArgumentException">Empty.</exception>
    public string Name
    {
        get => _name;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _name = value;
        }
    }
}
