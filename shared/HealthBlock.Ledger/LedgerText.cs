using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Names used in text and URLs.</summary>
public static class LedgerText
{
    /// <summary>The URL/CLI name of a chain: <c>userchain</c> or <c>docchain</c>.</summary>
    public static string ChainName(ChainId chain) => chain switch
    {
        ChainId.Userchain => "userchain",
        ChainId.Docchain => "docchain",
        _ => "unknown",
    };

    /// <summary>Parses a chain name (case-insensitive) or number.</summary>
    public static bool TryParseChain(string? text, out ChainId chain)
    {
        chain = text?.ToLowerInvariant() switch
        {
            "userchain" or "user" or "1" => ChainId.Userchain,
            "docchain" or "doc" or "2" => ChainId.Docchain,
            _ => 0,
        };
        return chain != 0;
    }
}
