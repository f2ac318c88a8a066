{#-
    Product analytics building blocks (web pages, Core Web Vitals, usage). One definition each, used by
    slv_product_events and the gold product marts (models/gold/product/).
-#}

{#-
    The path of a page URL: scheme and host, query string and fragment removed, lower case, trailing
    slashes removed ('https://shop.example.com/Cart/?utm_source=x' -> '/cart'); the site root is '/'.
    Null when the URL is null.
-#}
{% macro page_path(url) -%}
    case
        when {{ url }} is not null
            then coalesce(
                nullif(
                    {{ regex_replace_all(
                        regex_replace_all(regex_replace_all('lower(trim(' ~ url ~ '))', '^[a-z][a-z0-9+.-]*://[^/?#]*', ''),
                            '[?#].*$', ''),
                        '/+$', '') }},
                    ''
                ),
                '/'
            )
    end
{%- endmacro %}

{#-
    The page type of a page path (macro page_path), first match in this order:
      home              '/'
      product_detail    '/products/<anything>' (one product's page)
      product_listing   '/products', '/category...', '/collections...'
      search            '/search...'
      cart              '/cart...'
      checkout          '/checkout...'
      account           '/account...', '/login...', '/signup...'
      promotion         '/sale...', '/offers...'
      content           '/blog...', '/guide...'
      help              '/help...', '/faq...', '/contact...'
      other             any other path; null when the path is null
-#}
{% macro page_type(path) -%}
    {%- set rules = [
        ('product_detail', ['/products/%']),
        ('product_listing', ['/products', '/category%', '/collections%']),
        ('search', ['/search%']),
        ('cart', ['/cart%']),
        ('checkout', ['/checkout%']),
        ('account', ['/account%', '/login%', '/signup%']),
        ('promotion', ['/sale%', '/offers%']),
        ('content', ['/blog%', '/guide%']),
        ('help', ['/help%', '/faq%', '/contact%']),
    ] -%}
    case
        when {{ path }} is null then null
        when {{ path }} = '/' then 'home'
        {%- for page_type, patterns in rules %}
        when {% for pattern in patterns %}{{ path }} like '{{ pattern }}'{{ ' or ' if not loop.last }}{% endfor %}
            then '{{ page_type }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}

{#- The page types macro page_type can return, in reporting order (accepted-values tests). -#}
{% macro page_types() -%}
    {{ return(['home', 'product_listing', 'product_detail', 'search', 'cart', 'checkout', 'account', 'promotion',
        'content', 'help', 'other']) }}
{%- endmacro %}

{#-
    Continuous (interpolated) percentile of `expr` over the rows of a group: the value at position
    1 + fraction x (n - 1) of the sorted non-null values, linearly interpolated between neighbours
    (p75 of 1, 2, 3, 10 = 3 + 0.25 x (10 - 3) = 4.75). An aggregate: use it with group by.
    percentile_cont(f) within group (order by x) is standard SQL with this definition on both DuckDB and
    Postgres (checked), so there is one portable form and no dispatch.
-#}
{% macro percentile(expr, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by cast({{ expr }} as {{ type_double() }}))
{%- endmacro %}

{#-
    Core Web Vitals rating of one measurement against var web_vitals_thresholds[metric] = [good, poor]:
    'good' when value <= good, 'poor' when value > poor, else 'needs_improvement'; null when not measured.
    metric: lcp_ms, inp_ms or cls.
-#}
{% macro web_vital_rating(value, metric) -%}
    {%- set thresholds = var('web_vitals_thresholds') -%}
    {%- if metric not in thresholds -%}
        {{ exceptions.raise_compiler_error("web_vital_rating: no threshold for '" ~ metric ~ "' in var web_vitals_thresholds") }}
    {%- endif -%}
    {%- set good, poor = thresholds[metric][0], thresholds[metric][1] -%}
    case
        when {{ value }} is null then null
        when {{ value }} <= {{ good }} then 'good'
        when {{ value }} <= {{ poor }} then 'needs_improvement'
        else 'poor'
    end
{%- endmacro %}
