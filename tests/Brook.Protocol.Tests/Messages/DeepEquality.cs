using System.Collections;
using System.Reflection;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Messages;

/// <summary>
/// Compares two decoded messages property by property (lists element-wise, byte memory by
/// content), so a round trip proves each field came back, not only that the bytes match.
/// </summary>
internal static class DeepEquality
{
    public static void AssertEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }
        switch (expected)
        {
            case ReadOnlyMemory<byte> expectedBytes:
                Assert.True(expectedBytes.Span.SequenceEqual(((ReadOnlyMemory<byte>)actual).Span), $"{path}: bytes differ");
                return;
            case RawTaggedField expectedField:
                var actualField = (RawTaggedField)actual;
                Assert.Equal(expectedField.Tag, actualField.Tag);
                Assert.True(expectedField.Data.Span.SequenceEqual(actualField.Data.Span), $"{path}: tagged bytes differ");
                return;
            case string or Uuid or bool or sbyte or short or ushort or int or uint or long or double:
                Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
                return;
            case IList expectedList:
                var actualList = (IList)actual;
                Assert.True(expectedList.Count == actualList.Count, $"{path}: expected {expectedList.Count} elements, got {actualList.Count}");
                for (int i = 0; i < expectedList.Count; i++)
                {
                    AssertEqual(expectedList[i], actualList[i], $"{path}[{i}]");
                }
                return;
        }
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
            }
        }
    }

    private static string Show(object? value) => value is null ? "null" : value.ToString() ?? "?";
}
