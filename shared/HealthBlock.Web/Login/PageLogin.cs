using HealthBlock.Crypto;

namespace HealthBlock.Web.Login;

/// <summary>
/// Who may open a role's page: the holder of the role's key file passphrase (the key file is opened with it and must
/// hold the role's identity), or the bearer of a one-time <see cref="LoginTokens">token</see>. Refusals are counted.
/// </summary>
public sealed class PageLogin
{
    private long _refused;

    /// <summary>Creates the login of <paramref name="identity"/>.</summary>
    /// <param name="identity">The identity whose page it is.</param>
    /// <param name="keyFile">Its key file (null: tokens only).</param>
    /// <param name="tokens">One-time tokens (null: passphrase only).</param>
    public PageLogin(IdentityId identity, string? keyFile, LoginTokens? tokens)
    {
        Identity = identity;
        KeyFile = keyFile;
        Tokens = tokens;
    }

    /// <summary>The identity whose page it is.</summary>
    public IdentityId Identity { get; }

    /// <summary>The key file the passphrase opens, or null.</summary>
    public string? KeyFile { get; }

    /// <summary>One-time tokens, or null.</summary>
    public LoginTokens? Tokens { get; }

    /// <summary>Logins refused so far (wrong passphrase or token).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>True when <paramref name="passphrase"/> opens the key file and the key is this identity's.</summary>
    public bool CheckPassphrase(string? passphrase)
    {
        if (KeyFile is null || string.IsNullOrEmpty(passphrase))
        {
            return Refuse();
        }

        try
        {
            using var key = HealthBlock.Crypto.KeyFile.Read(KeyFile, passphrase);
            return key.Id == Identity || Refuse();
        }
        catch (CryptoException)
        {
            return Refuse();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Refuse();
        }
    }

    /// <summary>True (once) for a token issued by <see cref="Tokens"/>.</summary>
    public bool CheckToken(string? token) => (Tokens?.TryRedeem(token) ?? false) || Refuse();

    private bool Refuse()
    {
        Interlocked.Increment(ref _refused);
        return false;
    }
}
