using CsCheck;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Protocol.Tests;

public class CidTests
{
    private static readonly CidVectors Vectors = TestData.Load<CidVectors>("cids.json");

    public static TheoryData<string> ValidNames() => [.. Vectors.Valid.Select(v => v.Name)];

    public static TheoryData<string> InvalidNames() => [.. Vectors.Invalid.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Cid_of_a_block_equals_what_ipfs_gives(string name)
    {
        var v = Vectors.Valid.Single(x => x.Name == name);
        var data = Convert.FromHexString(v.DataHex);
        var cid = Cid.Compute(data);

        Assert.Equal(v.Cid, cid.ToString());
        Assert.Equal(cid, Cid.Parse(v.Cid));
        Assert.True(cid.Matches(data));
        Assert.False(cid.Matches([.. data, 0]));
        Assert.Equal(cid, Cid.Compute(new MemoryStream(data)));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_cid_strings_get_a_clear_error(string name)
    {
        var v = Vectors.Invalid.Single(x => x.Name == name);
        Assert.False(Cid.TryParse(v.Text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
        var e = Assert.Throws<ProtocolException>(() => Cid.Parse(v.Text));
        Assert.Equal(ProtocolError.InvalidCid, e.Error);
    }

    [Fact]
    public void Cidv0_error_says_what_to_use_instead()
    {
        Cid.TryParse("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u", out _, out var error);
        Assert.Contains("CIDv1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Printed_and_binary_forms_round_trip_and_random_text_never_crashes()
    {
        Gen.Byte.Array[0, 300].Sample(data =>
        {
            var cid = Cid.Compute(data);
            var text = cid.ToString();
            Assert.Equal(Cid.StringLength, text.Length);
            Assert.StartsWith("bafkrei", text, StringComparison.Ordinal);
            Assert.Equal(cid, Cid.Parse(text));
            Assert.Equal(cid, Cid.FromBytes(cid.ToBytes()));
        }, iter: 200);
        Gen.String.Sample(text => { _ = Cid.TryParse(text, out _, out _); }, iter: 5_000);
        Gen.Byte.Array[0, 50].Sample(bytes =>
        {
            try
            {
                Cid.FromBytes(bytes);
            }
            catch (ProtocolException)
            {
            }
        }, iter: 5_000);
    }
}
