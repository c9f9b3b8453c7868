using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The genesis of a ledger, read from a JSON file:
/// <code>
/// {
///   "network": "devnet",
///   "diagnosisFee": 10,
///   "identities": [
///     { "role": "admin", "name": "admin-1", "signingKey": "04…(hex, 65 bytes)", "encryptionKey": "04…" },
///     { "role": "node",  "name": "node-1",  "signingKey": "04…", "encryptionKey": "04…" }
///   ],
///   "balances": [ { "id": "(base32 identity id)", "amount": 1000 } ]
/// }
/// </code>
/// Roles are the CLI names (patient, doctor, device, node, admin). It names at least one admin and one accounting
/// node; balances may only credit identities it lists. Its hash (SHA-256 of a canonical CBOR rendering, so JSON
/// whitespace and key order do not matter) is part of every state hash.
/// </summary>
public sealed class Genesis
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Creates a genesis.</summary>
    public Genesis(string network, ulong diagnosisFee, IReadOnlyList<GenesisIdentity> identities, IReadOnlyList<GenesisBalance> balances)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(balances);
        Network = network;
        DiagnosisFee = diagnosisFee;
        Identities = identities;
        Balances = balances;
        Validate();
        Hash = ComputeHash();
    }

    /// <summary>A free-form network name (devnet, test, …).</summary>
    public string Network { get; }

    /// <summary>Healthcoin each diagnosis consumes from the doctor–patient paid credit.</summary>
    public ulong DiagnosisFee { get; }

    /// <summary>The identities that exist from the start.</summary>
    public IReadOnlyList<GenesisIdentity> Identities { get; }

    /// <summary>Initial balances.</summary>
    public IReadOnlyList<GenesisBalance> Balances { get; }

    /// <summary>SHA-256 of the canonical rendering.</summary>
    public byte[] Hash { get; }

    /// <summary>The network this genesis starts: its hash, which every transaction and block of the network names.</summary>
    public NetworkId NetworkId => NetworkId.FromGenesisHash(Hash);

    /// <summary>Parses the JSON text of a genesis file.</summary>
    /// <exception cref="FormatException">Malformed JSON or an invalid genesis.</exception>
    public static Genesis Parse(string json)
    {
        GenesisFile? file;
        try
        {
            file = JsonSerializer.Deserialize<GenesisFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The genesis is not valid JSON: {e.Message}", e);
        }

        if (file is null)
        {
            throw new FormatException("The genesis is empty.");
        }

        var identities = new List<GenesisIdentity>();
        foreach (var i in file.Identities ?? [])
        {
            if (!LedgerNames.TryParseRole(i.Role, out var role))
            {
                throw new FormatException($"Genesis identity '{i.Name}' has unknown role '{i.Role}'.");
            }

            PublicIdentity keys;
            try
            {
                keys = new PublicIdentity(Convert.FromHexString(i.SigningKey ?? ""), Convert.FromHexString(i.EncryptionKey ?? ""));
            }
            catch (Exception e) when (e is FormatException or CryptoException)
            {
                throw new FormatException($"Genesis identity '{i.Name}' has an invalid key: {e.Message}", e);
            }

            identities.Add(new GenesisIdentity(role, i.Name ?? "", keys));
        }

        var balances = new List<GenesisBalance>();
        foreach (var b in file.Balances ?? [])
        {
            if (!IdentityId.TryParse(b.Id, out var id))
            {
                throw new FormatException($"Genesis balance names '{b.Id}', which is not an identity id.");
            }

            balances.Add(new GenesisBalance(id, b.Amount));
        }

        try
        {
            return new Genesis(file.Network ?? "", file.DiagnosisFee, identities, balances);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Reads a genesis file.</summary>
    public static Genesis Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new GenesisFile
        {
            Network = Network,
            DiagnosisFee = DiagnosisFee,
            Identities = Identities.Select(i => new GenesisIdentityFile
            {
                Role = LedgerNames.RoleName(i.Role),
                Name = i.Name,
                Id = i.Keys.Id.ToString(),
                SigningKey = Convert.ToHexStringLower(i.Keys.SigningKey),
                EncryptionKey = Convert.ToHexStringLower(i.Keys.EncryptionKey),
            }).ToList(),
            Balances = Balances.Select(b => new GenesisBalanceFile { Id = b.Id.ToString(), Amount = b.Amount }).ToList(),
        },
        JsonOptions);

    /// <summary>Writes the genesis file.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    private void Validate()
    {
        if (!Identities.Any(i => i.Role == Role.Admin))
        {
            throw new ArgumentException("The genesis names no admin.");
        }

        if (!Identities.Any(i => i.Role == Role.AccountingNode))
        {
            throw new ArgumentException("The genesis names no accounting node.");
        }

        var ids = new HashSet<IdentityId>();
        foreach (var i in Identities)
        {
            if (!ids.Add(i.Keys.Id))
            {
                throw new ArgumentException($"The genesis lists identity {i.Keys.Id} twice.");
            }

            if (i.Name.Length > TransactionPayload.MaxNameLength)
            {
                throw new ArgumentException($"Genesis identity name '{i.Name}' is too long.");
            }
        }

        var credited = new HashSet<IdentityId>();
        foreach (var b in Balances)
        {
            if (!ids.Contains(b.Id))
            {
                throw new ArgumentException($"The genesis credits {b.Id}, which it does not list.");
            }

            if (!credited.Add(b.Id))
            {
                throw new ArgumentException($"The genesis credits {b.Id} twice.");
            }
        }
    }

    private byte[] ComputeHash()
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(4);
        w.WriteTextString(Network);
        w.WriteUInt64(DiagnosisFee);
        w.WriteStartArray(Identities.Count);
        foreach (var i in Identities.OrderBy(i => i.Keys.Id))
        {
            w.WriteStartArray(4);
            w.WriteUInt32((byte)i.Role);
            w.WriteTextString(i.Name);
            w.WriteByteString(i.Keys.SigningKey);
            w.WriteByteString(i.Keys.EncryptionKey);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartArray(Balances.Count);
        foreach (var b in Balances.OrderBy(b => b.Id))
        {
            w.WriteStartArray(2);
            w.WriteByteString(b.Id.Bytes);
            w.WriteUInt64(b.Amount);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndArray();
        return SHA256.HashData(w.Encode());
    }

    private sealed class GenesisFile
    {
        public string? Network { get; set; }

        public ulong DiagnosisFee { get; set; }

        public List<GenesisIdentityFile>? Identities { get; set; }

        public List<GenesisBalanceFile>? Balances { get; set; }
    }

    private sealed class GenesisIdentityFile
    {
        public string? Role { get; set; }

        public string? Name { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Id { get; set; }

        public string? SigningKey { get; set; }

        public string? EncryptionKey { get; set; }
    }

    private sealed class GenesisBalanceFile
    {
        public string? Id { get; set; }

        public ulong Amount { get; set; }
    }
}
