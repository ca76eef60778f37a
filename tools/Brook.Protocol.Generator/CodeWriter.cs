using System.Text;

namespace Brook.Protocol.Generator;

/// <summary>Builds C# text with four-space indentation and '\n' line endings, whatever the OS.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(text);
        }
        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, then indents.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    /// <summary>A bare block, to scope locals.</summary>
    public void OpenScope()
    {
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>Writes a block under <c>if (condition)</c>, or the body alone when the condition is "true".</summary>
    public void If(string condition, Action body)
    {
        if (condition == "false")
        {
            return;
        }
        if (condition == "true")
        {
            body();
            return;
        }
        Open($"if ({condition})");
        body();
        Close();
    }

    /// <summary>An if/else on <paramref name="condition"/>, folded when it is "true" or "false".</summary>
    public void IfElse(string condition, Action whenTrue, Action whenFalse)
    {
        if (condition == "true")
        {
            whenTrue();
            return;
        }
        if (condition == "false")
        {
            whenFalse();
            return;
        }
        Open($"if ({condition})");
        whenTrue();
        Close();
        Open("else");
        whenFalse();
        Close();
    }

    public void Summary(string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            Line($"/// <summary>{Xml(text.Trim())}</summary>");
        }
    }

    public static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Literal(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    public static string And(string a, string b)
    {
        if (a == "false" || b == "false")
        {
            return "false";
        }
        if (a == "true")
        {
            return b;
        }
        if (b == "true")
        {
            return a;
        }
        return $"{Paren(a)} && {Paren(b)}";
    }

    public static string Not(string a) => a switch
    {
        "true" => "false",
        "false" => "true",
        _ => $"!({a})",
    };

    public static string Ternary(string condition, string whenTrue, string whenFalse) => condition switch
    {
        "true" => whenTrue,
        "false" => whenFalse,
        _ => $"{Paren(condition)} ? {whenTrue} : {whenFalse}",
    };

    private static string Paren(string expression) =>
        expression.Contains(' ', StringComparison.Ordinal) ? $"({expression})" : expression;

    public override string ToString() => _text.ToString();
}
