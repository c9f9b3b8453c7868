namespace HealthBlock.Statistics;

/// <summary>Where <see cref="PaillierKeyFile.LoadOrCreate"/> found the node's Paillier key.</summary>
public enum PaillierKeySource
{
    /// <summary>Opened from its sealed file.</summary>
    Opened,

    /// <summary>Read from the plaintext file of an earlier version, written sealed; the plaintext file was deleted.</summary>
    SealedFromPlaintext,

    /// <summary>Generated on this run and written sealed.</summary>
    Created,
}
