from anjian.cli import main

raise SystemExit(main())
