"""Tools for developers and operators that are not part of the running site: the synthetic
company seeder and the benchmark. Nothing on the request path imports this package."""
