using CsCheck;

namespace HealthBlock.Crypto.Tests;

public class Base32Tests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "my")]
    [InlineData("fo", "mzxq")]
    [InlineData("foo", "mzxw6")]
    [InlineData("foob", "mzxw6yq")]
    [InlineData("fooba", "mzxw6ytb")]
    [InlineData("foobar", "mzxw6ytboi")]
    public void Matches_rfc4648_vectors_in_lowercase_without_padding(string input, string expected)
    {
        Assert.Equal(expected, Base32.Encode(System.Text.Encoding.ASCII.GetBytes(input)));
        Assert.True(Base32.TryDecode(expected, out var back));
        Assert.Equal(input, System.Text.Encoding.ASCII.GetString(back));
    }

    [Fact]
    public void Round_trips_and_never_throws_on_random_text()
    {
        Gen.Byte.Array[0, 100].Sample(bytes =>
        {
            Assert.True(Base32.TryDecode(Base32.Encode(bytes), out var back));
            Assert.Equal(bytes, back);
        });
        Gen.String.Sample(text => { _ = Base32.TryDecode(text, out _); });
    }

    [Theory]
    [InlineData("MZXW6")]
    [InlineData("mzxw6=")]
    [InlineData("m")]
    [InlineData("mz")]
    [InlineData("mzxw1")]
    public void Rejects_uppercase_padding_bad_lengths_and_non_canonical_tails(string text)
    {
        Assert.False(Base32.TryDecode(text, out _));
    }
}
